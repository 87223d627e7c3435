import type {KubeTarget} from './config.js';
import {clean} from './sanitize.js';

/** An error meant for the user: `message` is one clear line; `exitCode` is what the CLI exits with. */
export class MemtopError extends Error {
	readonly exitCode: number;

	constructor(message: string, exitCode = 1) {
		super(message);
		this.name = 'MemtopError';
		this.exitCode = exitCode;
	}
}

/**
 * An HTTP answer from the API server that was not 2xx (or a watch's ERROR event), with the Status
 * object's fields when it sent one: reason and message as the server wrote them, escaped (any
 * type: a Status whose message is not a string does not break the error).
 */
export class ApiError extends Error {
	readonly status: number;
	readonly reason: string;
	readonly path: string;

	constructor(status: number, reason: unknown, message: unknown, path: string) {
		super(clean(message, 300));
		this.name = 'ApiError';
		this.status = status;
		this.reason = clean(reason, 128);
		this.path = path;
	}
}

/**
 * A failure below HTTP as one line: OpenSSL's multi-line text ("write EPROTO 40CD…:error:0A00010B:
 * SSL routines:tls_validate_record_header:wrong version number:../deps/…") becomes its reason, and
 * the reason a user meets most (https:// to a plain HTTP port) says so.
 */
function networkMessage(message: string): string {
	const ssl = /SSL routines:[^:]*:([^:]+):/.exec(message);
	if (ssl?.[1] === 'wrong version number') return 'the server does not answer in TLS (wrong version number): is it an http:// server?';
	if (ssl) return `TLS failed: ${ssl[1]}`;
	return message.split('\n')[0]!.trim();
}

/** The connection failed below HTTP (refused, reset, TLS, DNS, timeout). */
export class NetworkError extends Error {
	readonly code: string;

	constructor(code: string, message: string) {
		super(networkMessage(message));
		this.name = 'NetworkError';
		this.code = code;
	}
}

/** The server broke one of memtop's bounds (an answer too big or too slow, a list that never ends): `message` names the bound. */
export class LimitError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LimitError';
	}
}

/** a bound's duration in exact seconds for its message ("90s", "1.5s"; formatDuration would say 1m for 90 s) */
export function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10}s`;
}

export function isGone(error: unknown): boolean {
	return error instanceof ApiError && (error.status === 410 || error.reason === 'Expired' || error.reason === 'Gone');
}

export function isForbidden(error: unknown): boolean {
	return error instanceof ApiError && error.status === 403;
}

export function isNotFound(error: unknown): boolean {
	return error instanceof ApiError && error.status === 404;
}

function isUnauthorized(error: unknown): boolean {
	return error instanceof ApiError && error.status === 401;
}

/**
 * A short description of any error for a banner or a one-line exit message, escaped: an ApiError
 * is already; any other error's text is escaped here (a TLS error quotes the server's certificate,
 * an exec plugin's error its own output).
 */
export function describe(error: unknown): string {
	if (error instanceof ApiError) {
		return `${error.status}${error.reason ? ' ' + error.reason : ''}: ${error.message}`.slice(0, 300);
	}

	if (error instanceof NetworkError) {
		return clean(`${error.code}: ${error.message}`, 300);
	}

	if (error instanceof Error) {
		return clean(error.message.split('\n')[0], 300);
	}

	return clean(String(error), 300);
}

/** A failure before the first list, as the one line the user sees: what was refused, by whom, where. */
export function fatal(error: unknown, target: KubeTarget, what: string): MemtopError {
	if (error instanceof MemtopError) return error;
	if (error instanceof NetworkError) {
		return new MemtopError(`cannot reach the API server at ${target.server} (context ${target.context}): ${error.message}`);
	}

	if (isUnauthorized(error)) {
		return new MemtopError(`the API server at ${target.server} rejected the credentials of user "${target.user}" (401 Unauthorized): log in again or check the kubeconfig`);
	}

	if (isForbidden(error)) {
		return new MemtopError(`forbidden: user "${target.user}" cannot ${what} (${(error as ApiError).message})`);
	}

	if (error instanceof ApiError) {
		return new MemtopError(`the API server answered ${error.status} ${error.reason} to ${what}: ${error.message}`);
	}

	return new MemtopError(`${what} failed: ${describe(error)}`);
}
