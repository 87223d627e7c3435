/**
 * memtop's package.json: the file beside dist/ (or source/) where memtop runs from npm or a clone,
 * and an asset of its own inside the single executable (npm run package), where no file is beside it.
 */
import {readFileSync} from 'node:fs';
import {getAsset, isSea} from 'node:sea';

export interface PackageJson {
	name: string;
	version: string;
	description: string;
	license: string;
	[key: string]: unknown;
}

export const packageJson = JSON.parse(isSea() ? getAsset('package.json', 'utf8') : readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
