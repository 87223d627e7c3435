/**
 * The single executable's main script (npm run package bundles it to CommonJS, as a SEA's main
 * script must be). memtop itself is one ES module with top-level awaits (its entry, Ink,
 * yoga-layout), so it is an asset of the executable, loaded from here under the executable's own
 * file URL: that is memtop's import.meta.url and the file its stack traces name.
 */
import {registerHooks} from 'node:module';
import {getAsset} from 'node:sea';
import {pathToFileURL} from 'node:url';

const url = pathToFileURL(process.execPath).href;
registerHooks({
	resolve: (specifier, context, next) => (specifier === url ? {url, format: 'module', shortCircuit: true} : next(specifier, context)),
	load: (href, context, next) => (href === url ? {format: 'module', source: getAsset('memtop.mjs', 'utf8'), shortCircuit: true} : next(href, context)),
});
void import(url);
