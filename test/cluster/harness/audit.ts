import {readFileSync} from 'node:fs';

export interface AuditEvent {
	verb: string;
	userAgent: string;
	requestURI: string;
	user: string;
	stage: string;
	code: number | null;
}

/** Parses the API server's JSON-lines audit log (audit.k8s.io/v1 Event per line). */
export function readAudit(file: string): AuditEvent[] {
	const out: AuditEvent[] = [];
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim()) continue;
		let e: any;
		try {
			e = JSON.parse(line);
		} catch {
			continue; // a line being written right now
		}

		out.push({
			verb: String(e.verb ?? ''),
			userAgent: String(e.userAgent ?? ''),
			requestURI: String(e.requestURI ?? ''),
			user: String(e.user?.username ?? ''),
			stage: String(e.stage ?? ''),
			code: typeof e.responseStatus?.code === 'number' ? e.responseStatus.code : null,
		});
	}

	return out;
}
