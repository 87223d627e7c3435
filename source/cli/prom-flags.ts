/** The Prometheus flags (issue 11), validated into PromSettings: where it is, how to log in, its label names, recommend's window. */
import {MemtopError} from '../kube/errors.js';
import type {PromEndpoint} from '../prom/connect.js';
import {parseService} from '../prom/connect.js';
import {parseLabels, type PromLabels} from '../prom/queries.js';
import {durationFlag} from './flags.js';

export interface PromRawFlags {
	prometheus?: string;
	prometheusService?: string;
	prometheusToken?: string;
	prometheusTokenFile?: string;
	prometheusUser?: string;
	prometheusCa?: string;
	prometheusInsecure?: boolean;
	prometheusLabels?: string;
	window?: string;
}

export interface PromSettings {
	endpoint: PromEndpoint;
	labels: PromLabels;
}

/** null when no Prometheus was asked for; `env` gives MEMTOP_PROMETHEUS_TOKEN and MEMTOP_PROMETHEUS_PASSWORD */
export function promSettings(f: PromRawFlags, env: NodeJS.ProcessEnv = process.env): PromSettings | null {
	const login = f.prometheusToken !== undefined || f.prometheusTokenFile !== undefined || f.prometheusUser !== undefined || f.prometheusCa !== undefined || f.prometheusInsecure;
	if (f.prometheus === undefined && f.prometheusService === undefined) {
		if (login || f.prometheusLabels !== undefined) throw new MemtopError('the --prometheus-* flags go with --prometheus URL|auto or --prometheus-service NS/NAME:PORT', 2);
		return null;
	}

	if (f.prometheus !== undefined && f.prometheusService !== undefined) throw new MemtopError('--prometheus and --prometheus-service exclude each other', 2);
	if (f.prometheusToken !== undefined && f.prometheusTokenFile !== undefined) throw new MemtopError('--prometheus-token and --prometheus-token-file exclude each other', 2);
	const viaApiServer = f.prometheusService !== undefined || f.prometheus === 'auto';
	if (viaApiServer && login) {
		throw new MemtopError('through the API server (--prometheus-service, --prometheus auto) memtop logs in with the kubeconfig: drop the --prometheus token, user, CA and insecure flags', 2);
	}

	if (f.prometheusService !== undefined) parseService(f.prometheusService);
	if (f.prometheus !== undefined && f.prometheus.trim() === '') throw new MemtopError('--prometheus is empty (a URL, or auto)', 2);
	const token = f.prometheusToken ?? (f.prometheusTokenFile === undefined ? env['MEMTOP_PROMETHEUS_TOKEN'] || undefined : undefined);
	const password = env['MEMTOP_PROMETHEUS_PASSWORD'];
	if (f.prometheusUser !== undefined && password === undefined) {
		throw new MemtopError('--prometheus-user: set the password in MEMTOP_PROMETHEUS_PASSWORD (never on the command line)', 2);
	}

	return {
		endpoint: {
			url: f.prometheus?.trim(),
			service: f.prometheusService,
			auth: viaApiServer
				? {}
				: {
						token,
						tokenFile: f.prometheusTokenFile,
						user: f.prometheusUser,
						password: f.prometheusUser === undefined ? undefined : password,
						caFile: f.prometheusCa,
						insecure: Boolean(f.prometheusInsecure),
					},
		},
		labels: parseLabels(f.prometheusLabels),
	};
}

/** recommend --window: between 1h and 90d; 0 when not given */
export function windowFlag(f: PromRawFlags, command: string, prom: PromSettings | null): number {
	if (f.window === undefined) return 0;
	if (command !== 'recommend') throw new MemtopError('--window goes with memtop recommend', 2);
	if (prom === null) throw new MemtopError('recommend --window reads the window from Prometheus: add --prometheus URL|auto or --prometheus-service NS/NAME:PORT', 2);
	const ms = durationFlag(f.window, 'window');
	if (ms < 3_600_000 || ms > 90 * 24 * 3_600_000) throw new MemtopError('--window must be between 1h and 90d', 2);
	return ms;
}
