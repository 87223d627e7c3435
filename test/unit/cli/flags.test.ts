import {describe, expect, it} from 'vitest';
import {durationFlag, resolveOptions} from '../../../source/cli/flags.js';

describe('flags', () => {
	it('parses durations', () => {
		expect(durationFlag('15s', 'x')).toBe(15_000);
		expect(durationFlag('1h30m', 'x')).toBe(5_400_000);
		expect(durationFlag('500ms', 'x')).toBe(500);
		expect(durationFlag('20', 'x')).toBe(20_000);
		expect(() => durationFlag('15 parsecs', 'metrics-interval')).toThrow('--metrics-interval: "15 parsecs" is not a duration');
		expect(() => durationFlag('', 'x')).toThrow();
	});

	it('reads --max-answer as a size and --request-timeout as a duration; neither set leaves the transport its defaults', () => {
		expect(resolveOptions([], {maxAnswer: '1Gi', requestTimeout: '90s'})).toMatchObject({maxAnswerBytes: 2 ** 30, requestTimeoutMs: 90_000});
		expect(resolveOptions([], {maxAnswer: '300M'}).maxAnswerBytes).toBe(300e6);
		expect(resolveOptions([], {})).toMatchObject({maxAnswerBytes: undefined, requestTimeoutMs: undefined});
	});

	it('resolves commands and aliases, and refuses nonsense with exit code 2', () => {
		expect(resolveOptions(['no'], {}).command).toBe('nodes');
		expect(resolveOptions([], {}).command).toBe('pods');
		for (const [input, flags, text] of [
			[['frobnicate'], {}, 'unknown command'],
			[[], {namespace: 'a', allNamespaces: true}, 'exclude each other'],
			[[], {namespace: 'Bad_NS'}, 'not a valid namespace'],
			[[], {once: true, output: 'xml'}, 'not supported'],
			[['recommend'], {output: 'yaml'}, 'recommend prints table or json'],
			[['events'], {once: true, output: 'name'}, 'events have no names'],
			[[], {headers: false}, '--no-headers goes with --once'],
			[[], {fieldSelector: ' '}, '--field-selector is empty'],
			[['nodes'], {once: true, fieldSelector: 'spec.nodeName=a'}, 'selects pods'],
			[['completion'], {}, 'say which shell'],
			[['completion', 'tcsh'], {}, 'say which shell'],
			[[], {output: 'json'}, 'goes with --once'],
			[[], {metricsInterval: '100ms'}, 'between 1s and 1h'],
			[[], {demo: true, context: 'x'}, 'drop --kubeconfig'],
			[[], {selector: '  '}, 'empty'],
		] as const) {
			try {
				resolveOptions([...input], flags);
				throw new Error(`accepted ${JSON.stringify(flags)}`);
			} catch (error: any) {
				expect(error.message).toContain(text);
				expect(error.exitCode).toBe(2);
			}
		}
	});
});
