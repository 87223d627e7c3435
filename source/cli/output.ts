/**
 * `--once` output, one module per format under output/: json.ts (and yaml.ts, the same value),
 * table.ts (-o table, fitted to the terminal), wide.ts (-o wide), name.ts (-o name); the tables'
 * columns in columns.ts. Every figure is the one the TUI shows (the same row objects).
 */
export {exactBytes, jsonText, nodeJson, podJson, snapshotJson} from './output/json.js';
export {snapshotNames} from './output/name.js';
export {fitColumns, snapshotTable, snapshotTableParts, table} from './output/table.js';
export {yamlText} from './output/yaml.js';
