/**
 * A bounded log of what each version of a counter changed (the store's pod set, its pod records),
 * so a reader that saw version v can take the changes since then instead of starting over. Past
 * `max` entries the older half is forgotten; a reader further back than that gets null.
 */
export class ChangeLog {
	private readonly entries: string[] = [];
	/** the version the first entry moved from */
	private start = 0;

	constructor(private readonly max: number) {}

	/** what the counter's next version changed (call once per version, in order) */
	push(entry: string): void {
		this.entries.push(entry);
		if (this.entries.length > this.max) {
			const drop = this.entries.length - this.max / 2;
			this.entries.splice(0, drop);
			this.start += drop;
		}
	}

	/** the entries since the counter was `version` (it is `current` now), in order; null when further back than remembered */
	since(version: number, current: number): string[] | null {
		if (version < this.start || version > current) return null;
		return this.entries.slice(version - this.start);
	}
}
