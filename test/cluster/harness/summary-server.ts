import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';

/**
 * A stand-in kubelet endpoint: HTTPS on 127.0.0.1 serving a real captured /stats/summary.
 * kube-apiserver's node proxy (/api/v1/nodes/<node>/proxy/stats/summary) reaches it through the
 * node's status.addresses + daemonEndpoints.kubeletEndpoint.Port.
 */
export interface SummaryServer {
	port: number;
	requests: string[];
	close(): Promise<void>;
}

export async function startSummaryServer(pkiDir: string, summaryFile: string): Promise<SummaryServer> {
	const body = readFileSync(summaryFile);
	const requests: string[] = [];
	const server: Server = createServer({key: readFileSync(join(pkiDir, 'kwok.key')), cert: readFileSync(join(pkiDir, 'kwok.crt'))}, (req, res) => {
		requests.push(`${req.method} ${req.url}`);
		if (req.method === 'GET' && (req.url === '/stats/summary' || req.url?.startsWith('/stats/summary?'))) {
			res.writeHead(200, {'content-type': 'application/json', 'content-length': body.length});
			res.end(body);
			return;
		}

		res.writeHead(404, {'content-type': 'text/plain'});
		res.end('404 page not found\n');
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return {
		port: (server.address() as AddressInfo).port,
		requests,
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
