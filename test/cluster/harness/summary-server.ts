import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {scriptsDir} from './cluster.js';

/**
 * A stand-in kubelet endpoint (scripts/kubelet-standin.mjs): HTTPS inside the test cluster's
 * network namespace, serving a real captured /stats/summary. kube-apiserver's node proxy
 * (/api/v1/nodes/<node>/proxy/stats/summary) reaches it through the node's InternalIP and
 * daemonEndpoints.kubeletEndpoint.Port.
 */
export interface SummaryServer {
	ip: string;
	port: number;
	requests: string[];
	close(): Promise<void>;
}

export async function startSummaryServer(opts: {netns: string; ip: string; pkiDir: string; summaryFile: string}): Promise<SummaryServer> {
	const child: ChildProcess = spawn(
		'ip',
		['netns', 'exec', opts.netns, process.execPath, join(scriptsDir, 'kubelet-standin.mjs'), opts.ip, '0', join(opts.pkiDir, 'kwok.crt'), join(opts.pkiDir, 'kwok.key'), opts.summaryFile],
		{stdio: ['pipe', 'pipe', 'pipe']},
	);
	const requests: string[] = [];
	let stderr = '';
	child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
	const port = await new Promise<number>((resolve, reject) => {
		let buf = '';
		const timer = setTimeout(() => reject(new Error(`kubelet stand-in did not start: ${stderr}`)), 20_000);
		child.once('exit', code => reject(new Error(`kubelet stand-in exited ${code}: ${stderr}`)));
		child.stdout!.on('data', (b: Buffer) => {
			buf += b.toString();
			let i;
			while ((i = buf.indexOf('\n')) >= 0) {
				const line = buf.slice(0, i);
				buf = buf.slice(i + 1);
				const m = /^listening (\d+)$/.exec(line);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				} else if (line) {
					requests.push(line);
				}
			}
		});
	});
	return {
		ip: opts.ip,
		port,
		requests,
		close: () =>
			new Promise<void>(resolve => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
