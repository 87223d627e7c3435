/** How the body height is shared between a table, the chart and the feed strip. */

interface ListLayout {
	/** table lines, header included */
	table: number;
	/** chart lines: title + plot + time axis (0: no chart) */
	chart: number;
	/** feed strip lines, title included (0: none) */
	feed: number;
}

export function listLayout(body: number, opts: {chart: boolean; feed: boolean}): ListLayout {
	let chart = 0;
	let feed = 0;
	if (opts.chart) chart = body >= 34 ? 12 : body >= 26 ? 10 : body >= 20 ? 8 : body >= 14 ? 6 : 0;
	if (opts.feed) feed = body >= 34 ? 4 : body >= 26 ? 3 : body >= 20 ? 2 : 0;
	return {table: Math.max(0, body - chart - feed), chart, feed};
}
