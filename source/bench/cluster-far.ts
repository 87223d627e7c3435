/**
 * The API server a link away, for `npm run bench:cluster`: a TCP relay on the host side of the
 * test cluster's network namespace (its veth, 198.18.K.1) to kube-apiserver (which listens on
 * 127.0.0.1 only), that holds each direction's bytes to a rate and a one-way delay: a link of
 * `rateMbit` with a round trip of `rttMs`. Clients run inside the namespace (ip netns exec) with a
 * kubeconfig pointing at the relay, so every byte to and from the API server crosses it.
 *
 * The relay does what tc netem would (`tc qdisc … netem delay 15ms rate 100mbit` on both ends of
 * the veth): this machine's kernel has no sch_netem (no modules; `tc` answers "Specified qdisc kind
 * is unknown"). The sender's TCP does not see the delay (the relay acknowledges at once), so slow
 * start over the long round trip is not reproduced; the round trips of TLS and of each request,
 * and the time the bytes take at the rate, are.
 */
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

export interface FarLink {
	netns: string;
	/** kubeconfig through the link (compression as the client likes) */
	kubeconfig: string;
	/** the same, with `disable-compression: true` for kubectl */
	kubeconfigNoGzip: string;
	close(): void;
}

const high = 4 * 2 ** 20;
const low = 2 ** 20;

/** `from`'s bytes to `to`, each chunk leaving after the ones before it at `bytesPerMs`, then `delayMs` on the wire */
function shaped(from: net.Socket, to: net.Socket, delayMs: number, bytesPerMs: number): void {
	const queue: Array<{chunk: Buffer | null; due: number}> = [];
	let busyUntil = 0;
	let queued = 0;
	let timer: NodeJS.Timeout | undefined;
	const pump = () => {
		timer = undefined;
		const now = performance.now();
		while (queue.length > 0 && queue[0]!.due <= now) {
			const {chunk} = queue.shift()!;
			if (chunk === null) {
				to.end();
				continue;
			}

			to.write(chunk);
			queued -= chunk.length;
		}

		if (queued < low && from.isPaused()) from.resume();
		if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0]!.due - now));
	};

	const push = (chunk: Buffer | null) => {
		const now = performance.now();
		busyUntil = Math.max(now, busyUntil) + (chunk?.length ?? 0) / bytesPerMs;
		queue.push({chunk, due: busyUntil + delayMs});
		if (chunk) queued += chunk.length;
		if (queued > high) from.pause();
		timer ??= setTimeout(pump, Math.max(0, queue[0]!.due - now));
	};

	from.on('data', (chunk: Buffer) => push(chunk));
	from.on('end', () => push(null));
	from.on('close', () => {
		if (queue.length === 0) clearTimeout(timer);
	});
}

export async function openFarLink(o: {kubeconfig: string; netns: string; hostIp: string; workDir: string; rateMbit: number; rttMs: number}): Promise<FarLink> {
	const text = fs.readFileSync(o.kubeconfig, 'utf8');
	const server = /server:\s*(https:\/\/[^\s]+)/.exec(text)?.[1];
	if (!server) throw new Error(`no server in ${o.kubeconfig}`);
	const target = new URL(server);
	const bytesPerMs = (o.rateMbit * 1e6) / 8 / 1000;
	const sockets = new Set<net.Socket>();
	const relay = net.createServer(socket => {
		const upstream = net.connect(Number(target.port), target.hostname);
		const end = () => {
			socket.destroy();
			upstream.destroy();
			sockets.delete(socket);
			sockets.delete(upstream);
		};

		sockets.add(socket).add(upstream);
		socket.setNoDelay(true);
		upstream.setNoDelay(true);
		shaped(socket, upstream, o.rttMs / 2, bytesPerMs);
		shaped(upstream, socket, o.rttMs / 2, bytesPerMs);
		for (const s of [socket, upstream]) {
			s.on('error', end);
			s.on('close', end);
		}
	});
	await new Promise<void>((resolve, reject) => relay.listen(0, o.hostIp, resolve).on('error', reject));
	const port = (relay.address() as net.AddressInfo).port;
	const close = () => {
		for (const s of sockets) s.destroy();
		relay.close();
	};

	// the apiserver's certificate names localhost, not the relay's address
	const far = text.replace(server, `https://${o.hostIp}:${port}\n    tls-server-name: localhost`);
	const kubeconfig = path.join(o.workDir, 'far.kubeconfig');
	const kubeconfigNoGzip = path.join(o.workDir, 'far-nogzip.kubeconfig');
	fs.writeFileSync(kubeconfig, far);
	fs.writeFileSync(kubeconfigNoGzip, far.replace('tls-server-name: localhost', 'tls-server-name: localhost\n    disable-compression: true'));
	return {netns: o.netns, kubeconfig, kubeconfigNoGzip, close};
}
