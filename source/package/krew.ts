/**
 * The krew plugin manifest (memtop.yaml), filled in by npm run package with each archive's sha256.
 * Checked by krew's own validator and installed by the real krew in test/package/krew.sh.
 */

export interface KrewPlatform {
	/** krew's names: GOOS and GOARCH */
	os: 'linux';
	arch: 'amd64' | 'arm64';
	uri: string;
	sha256: string;
}

/** the archive's name for a platform, as the manifest's uri and the package step name it */
export function krewArchiveName(platform: Pick<KrewPlatform, 'os' | 'arch'>): string {
	return `memtop-${platform.os}-${platform.arch}.tar.gz`;
}

/** what every archive holds beside the executable (krew copies these into the plugin's folder) */
export const krewArchiveFiles = ['kubectl-memtop', 'README.md'] as const;

export function krewManifest(version: string, platforms: KrewPlatform[]): string {
	const platformEntries = platforms.map(
		p => `  - selector:
      matchLabels:
        os: ${p.os}
        arch: ${p.arch}
    uri: ${JSON.stringify(p.uri)}
    sha256: ${JSON.stringify(p.sha256)}
    bin: kubectl-memtop
    files:
${krewArchiveFiles.map(f => `    - from: ${f}\n      to: .`).join('\n')}
`,
	);
	return `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: memtop
spec:
  version: ${JSON.stringify(`v${version}`)}
  shortDescription: "Live memory of pods and nodes: limits, OOM kills"
  description: |
    A live memory monitor for the terminal. It watches pods, nodes and events,
    polls metrics.k8s.io (and, where RBAC allows, the kubelet Summary API for
    RSS and cache), and shows who is close to their limit, who will be
    OOM-killed next, and which pods a node under memory pressure evicts first.
    One executable with its own Node.js: nothing else to install.
  caveats: |
    memtop only reads from the cluster (get, list, watch). Try it without a
    cluster: kubectl memtop --demo
  platforms:
${platformEntries.join('')}`;
}
