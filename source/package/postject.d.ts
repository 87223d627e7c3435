/** postject (npm) ships no types: the one call npm run package makes */
declare module 'postject' {
	export function inject(filename: string, resourceName: string, resourceData: Buffer, options?: {sentinelFuse?: string}): Promise<void>;
}
