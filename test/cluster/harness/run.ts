import {spawn} from 'node:child_process';

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a program to completion; never throws for a non-zero exit (callers check `code`). */
export async function run(command: string, args: string[], options: {input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string} = {}): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env: options.env ?? process.env, cwd: options.cwd, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (b: Buffer) => out.push(b));
		child.stderr.on('data', (b: Buffer) => err.push(b));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
		child.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')});
		});
		if (child.stdin) {
			// a program that exits before reading its input (an error exit) is the caller's to judge, not an EPIPE
			child.stdin.on('error', () => {});
			child.stdin.end(options.input);
		}
	});
}

/** Like run, but a non-zero exit throws with the program's stderr. */
export async function runOk(command: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<string> {
	const r = await run(command, args, options);
	if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
	return r.stdout;
}
