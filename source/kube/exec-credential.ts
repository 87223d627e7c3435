/**
 * The credential a user's exec plugin gives, kept as client-go keeps it (in memory, per process):
 * used until its expirationTimestamp, the plugin run again when it has expired or when the server
 * answers 401 to it, one run at a time. While the live view runs
 * (`keepFresh`), it is renewed in the background before it expires; a run that talks to the user
 * then borrows the terminal from the TUI (`useTerminal`: leave the alternate screen, run, come
 * back). A failed run is not repeated at once: it waits 30 s, doubling to 10 min, and until then
 * the same error stands.
 */
import {MemtopError} from './errors.js';
import type {ExecClusterInfo, ExecPlugin} from './exec-config.js';
import {pluginName, runExecPlugin, type ExecCredential, type RunOptions} from './exec-run.js';
import {backoff} from './scheduler.js';

/** lends the terminal for `run` (the TUI steps aside meanwhile) */
export type TerminalLease = (run: () => Promise<void>) => Promise<void>;

export interface Issued extends ExecCredential {
	/** which credential this is: a request remembers it, a 401 names it */
	version: number;
}

interface Options {
	/** stdin is a terminal (default: process.stdin.isTTY) */
	terminal?: boolean;
	now?: () => number;
	/** how a run happens (tests count runs; default runExecPlugin) */
	run?: (plugin: ExecPlugin, opts: RunOptions) => Promise<ExecCredential>;
	/** a background renewal failed (text) or works again (null) */
	onProblem?: (text: string | null) => void;
	/** one line on stderr before a run that borrows the terminal from the TUI */
	say?: (line: string) => void;
}

/** a credential good until `expiresAt` is renewed this long before (a quarter of its life, 2 s to 5 min) */
export function renewLead(lifeMs: number): number {
	return Math.min(5 * 60_000, Math.max(2000, lifeMs / 4));
}

export class ExecCredentials {
	private issued: Issued | null = null;
	private issuedAt = 0;
	private version = 0;
	private running: Promise<Issued> | null = null;
	private failure: {error: MemtopError; retryAt: number; attempts: number} | null = null;
	private lease: TerminalLease | null = null;
	private timer: NodeJS.Timeout | undefined;
	private fresh = false;
	private rejectedAt = -Infinity;
	private closed = false;
	private readonly now: () => number;
	/** plugin runs so far */
	runs = 0;

	constructor(
		readonly plugin: ExecPlugin,
		private readonly cluster: ExecClusterInfo | null,
		private readonly opts: Options = {},
	) {
		this.now = opts.now ?? Date.now;
	}

	private get terminal(): boolean {
		return this.opts.terminal ?? Boolean(process.stdin.isTTY);
	}

	/** whether a run gets the terminal, as client-go decides it; `Always` without a terminal is kubectl's error */
	interactive(): boolean {
		if (this.plugin.interactiveMode === 'Never') return false;
		if (this.plugin.interactiveMode === 'Always' && !this.terminal) {
			throw new MemtopError(`${pluginName(this.plugin)} cannot support interactive mode: standard input is not a terminal (its interactiveMode is Always)`);
		}

		return this.terminal;
	}

	private expired(c: Issued): boolean {
		return c.expiresAt !== null && this.now() >= c.expiresAt - 1000;
	}

	/** the credential `version` is still the one to send */
	isCurrent(version: number): boolean {
		return this.issued !== null && this.issued.version === version && !this.expired(this.issued);
	}

	/** the credential to send: the one held while it lasts, else a new run (or the last failure, until its retry) */
	async get(): Promise<Issued> {
		if (this.issued && !this.expired(this.issued)) return this.issued;
		return this.renew();
	}

	/**
	 * The server answered 401 to `version`: whether to send the request again, with a new run's
	 * credential (or one that came meanwhile). A rejection runs the plugin at most once per 30 s,
	 * so a plugin whose tokens the server refuses is not run for every request.
	 */
	async rejected(version: number): Promise<boolean> {
		if (this.issued && this.issued.version !== version && !this.expired(this.issued)) return true;
		if (this.running) return this.running.then(() => true);
		if (this.now() - this.rejectedAt < 30_000) return false;
		this.rejectedAt = this.now();
		if (this.issued?.version === version) this.issued = null;
		await this.renew();
		return true;
	}

	/** where background renewals report: a banner, and the line before a run that borrows the terminal */
	report(to: Pick<Options, 'onProblem' | 'say'>): void {
		Object.assign(this.opts, to);
	}

	/** renew in the background before the credential expires (the live view) */
	keepFresh(): void {
		this.fresh = true;
		this.schedule();
	}

	/** the TUI lends the terminal through this while it runs; null when it is gone */
	useTerminal(lease: TerminalLease | null): void {
		this.lease = lease;
	}

	close(): void {
		this.closed = true;
		clearTimeout(this.timer);
	}

	private renew(): Promise<Issued> {
		if (this.running) return this.running;
		if (this.failure && this.now() < this.failure.retryAt) return Promise.reject(this.failure.error);
		this.running = this.runOnce().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async runOnce(): Promise<Issued> {
		const run = this.opts.run ?? runExecPlugin;
		try {
			const interactive = this.interactive();
			let got: ExecCredential | undefined;
			const go = async () => {
				this.runs++;
				got = await run(this.plugin, {interactive, cluster: this.cluster});
			};

			if (interactive && this.lease) {
				await this.lease(async () => {
					this.opts.say?.(`the credential of user "${this.plugin.user}" needs renewing: running its exec plugin (${this.plugin.command}); memtop comes back when it is done`);
					await go();
				});
			} else {
				await go();
			}

			this.issued = {...got!, version: ++this.version};
			this.issuedAt = this.now();
			if (this.failure) this.opts.onProblem?.(null);
			this.failure = null;
			this.schedule();
			return this.issued;
		} catch (error) {
			const e = error instanceof MemtopError ? error : new MemtopError(`${pluginName(this.plugin)} failed: ${error instanceof Error ? error.message : String(error)}`);
			const attempts = (this.failure?.attempts ?? 0) + 1;
			const waitMs = backoff(attempts, 30_000, 10 * 60_000);
			this.failure = {error: e, retryAt: this.now() + waitMs, attempts};
			if (this.fresh) {
				this.opts.onProblem?.(`${e.message}; trying again in ${Math.round(waitMs / 1000)}s`);
				this.arm(waitMs);
			}

			throw e;
		}
	}

	private arm(ms: number): void {
		clearTimeout(this.timer);
		if (this.closed) return;
		this.timer = setTimeout(() => {
			this.renew().catch(() => {});
		}, Math.max(0, ms));
		this.timer.unref?.();
	}

	/** the next background renewal, for a credential that expires */
	private schedule(): void {
		const c = this.issued;
		if (!this.fresh || !c || c.expiresAt === null) return;
		const life = c.expiresAt - this.issuedAt;
		this.arm(c.expiresAt - renewLead(life) - this.now());
	}
}
