// A stand-in kubelet endpoint for the test cluster: HTTPS serving a real captured
// /stats/summary, run inside the cluster's network namespace (kube-apiserver will not proxy to
// loopback). Prints "listening <port>" once, then one line per request ("GET /stats/summary").
//   node kubelet-standin.mjs <ip> <port|0> <cert> <key> <summary.json>
import {readFileSync} from 'node:fs';
import {createServer} from 'node:https';

const [ip, port, cert, key, summaryFile] = process.argv.slice(2);
const body = readFileSync(summaryFile);
const server = createServer({cert: readFileSync(cert), key: readFileSync(key)}, (req, res) => {
	process.stdout.write(`${req.method} ${req.url}\n`);
	if (req.method === 'GET' && /^\/stats\/summary(\?|$)/.test(req.url ?? '')) {
		res.writeHead(200, {'content-type': 'application/json', 'content-length': body.length});
		res.end(body);
		return;
	}

	res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'});
	res.end('404 page not found\n');
});
server.listen(Number(port), ip, () => process.stdout.write(`listening ${server.address().port}\n`));
// Ends with its parent (the test run) or on SIGTERM.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
