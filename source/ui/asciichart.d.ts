declare module 'asciichart' {
	export interface PlotConfig {
		min?: number;
		max?: number;
		offset?: number;
		padding?: string;
		height?: number;
		colors?: string[];
		symbols?: string[];
		format?: (x: number, i: number) => string;
	}

	export function plot(series: number[] | number[][], cfg?: PlotConfig): string;
	const asciichart: {plot: typeof plot};
	export default asciichart;
}
