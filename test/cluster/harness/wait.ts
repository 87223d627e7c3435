/**
 * Polls `check` until it returns a value other than undefined/false, or the deadline passes.
 * The last error or value is kept for the failure message, so a timeout says what was seen.
 */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	{timeoutMs = 60_000, intervalMs = 250}: {timeoutMs?: number; intervalMs?: number} = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown = undefined;
	for (;;) {
		try {
			const v = await check();
			if (v !== undefined && v !== false) return v;
			last = v;
		} catch (error) {
			last = error;
		}

		if (Date.now() >= deadline) {
			const detail = last instanceof Error ? last.message : JSON.stringify(last);
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail?.slice(0, 500)})`);
		}

		await new Promise(r => setTimeout(r, intervalMs));
	}
}
