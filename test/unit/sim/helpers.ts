/** Plain HTTP helpers for the simulator tests: no client library, no mocks. */
import http from 'node:http';
import {afterEach} from 'vitest';
import {startSim, type SimHandle, type SimOptions} from '../../../source/sim/index.js';

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: any;
}

export function request(url: string, opts: {method?: string; headers?: Record<string, string>; body?: string} = {}): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const headers = {...opts.headers};
		if (opts.body !== undefined) {
			headers['content-length'] = String(Buffer.byteLength(opts.body));
		}

		const req = http.request(url, {method: opts.method ?? 'GET', headers}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: any = null;
				try {
					json = JSON.parse(text);
				} catch {
					json = null;
				}

				resolve({status: res.statusCode ?? 0, headers: res.headers, text, json});
			});
		});
		req.on('error', reject);
		if (opts.body !== undefined) {
			req.write(opts.body);
		}

		req.end();
	});
}

export async function getJson(url: string): Promise<any> {
	const reply = await request(url);
	if (reply.status !== 200) {
		throw new Error(`GET ${url}: ${reply.status} ${reply.text.slice(0, 300)}`);
	}

	return reply.json;
}

export interface WatchEvent {
	type: string;
	object: any;
}

/** An open watch stream collecting every event line. */
export class WatchStream {
	readonly events: WatchEvent[] = [];
	ended = false;
	status = 0;
	private req: http.ClientRequest | null = null;
	private waiters: Array<() => void> = [];
	private buffer = '';
	readonly ready: Promise<void>;

	constructor(url: string) {
		this.ready = new Promise((resolve, reject) => {
			this.req = http.get(url, (res) => {
				this.status = res.statusCode ?? 0;
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					this.buffer += chunk;
					let nl = this.buffer.indexOf('\n');
					while (nl >= 0) {
						const line = this.buffer.slice(0, nl);
						this.buffer = this.buffer.slice(nl + 1);
						if (line.trim() !== '') {
							this.events.push(JSON.parse(line) as WatchEvent);
						}

						nl = this.buffer.indexOf('\n');
					}

					this.wake();
				});
				res.on('end', () => {
					this.ended = true;
					this.wake();
				});
				res.on('error', () => {
					this.ended = true;
					this.wake();
				});
				resolve();
			});
			this.req.on('error', (error) => {
				this.ended = true;
				this.wake();
				reject(error);
			});
		});
	}

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) {
			w();
		}
	}

	/** wait until `predicate(events)` holds (or the stream ends / times out) */
	async until(predicate: (events: WatchEvent[]) => boolean, timeoutMs = 5000): Promise<WatchEvent[]> {
		const deadline = Date.now() + timeoutMs;
		while (!predicate(this.events)) {
			if (this.ended) {
				throw new Error(`watch ended before the condition held (${this.events.length} events)`);
			}

			const left = deadline - Date.now();
			if (left <= 0) {
				throw new Error(`timed out waiting on the watch (${this.events.length} events)`);
			}

			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}

		return this.events;
	}

	async waitEnd(timeoutMs = 5000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!this.ended) {
			if (Date.now() > deadline) {
				throw new Error('watch did not end');
			}

			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	close(): void {
		this.req?.destroy();
	}
}

/** Let queued watch writes reach the socket. */
export function tick(ms = 30): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An independent quantity parser (not the sim's): bytes from any Kubernetes quantity form,
 * rounded up like Quantity.Value().
 */
export function bytesOf(quantity: string): number {
	const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|e\d+)?$/.exec(quantity);
	if (!m) {
		throw new Error(`unparseable quantity ${quantity}`);
	}

	const n = Number(m[1]);
	const suffix = m[2] ?? '';
	const scale: Record<string, number> = {'': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18};
	if (suffix === 'm') {
		return Math.ceil(n / 1000);
	}

	if (suffix.startsWith('e')) {
		return Math.ceil(n * 10 ** Number(suffix.slice(1)));
	}

	return Math.ceil(n * (scale[suffix] ?? Number.NaN));
}

/** Walk a paginated list to the end; returns every item and every page's metadata. */
export async function listAll(base: string, path: string, limit: number, between?: () => void): Promise<{items: any[]; pages: any[]}> {
	const items: any[] = [];
	const pages: any[] = [];
	let token = '';
	const sep = path.includes('?') ? '&' : '?';
	do {
		const page = await getJson(`${base}${path}${sep}limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
		pages.push(page.metadata);
		items.push(...page.items);
		token = page.metadata.continue ?? '';
		between?.();
	} while (token);

	return {items, pages};
}

/**
 * A simulator factory for a test file: each call starts one (manual clock unless the options say
 * otherwise), and every one started in a test is closed after it.
 */
export function simulators(defaults: SimOptions = {}): (options?: SimOptions) => Promise<SimHandle> {
	let open: SimHandle[] = [];
	afterEach(async () => {
		await Promise.all(open.map((s) => s.close()));
		open = [];
	});
	return async (options = {}) => {
		const s = await startSim({clock: 'manual', ...defaults, ...options});
		open.push(s);
		return s;
	};
}
