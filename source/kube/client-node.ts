/**
 * What memtop takes from @kubernetes/client-node: the kubeconfig (auth: certificates, tokens, exec
 * plugins, proxies) and its YAML reader. `npm run build` bundles this one module into itself
 * (source/package/vendor.ts): loading client-node's ~870 files took 0.5–0.9 s of every start.
 */
export {KubeConfig, loadYaml} from '@kubernetes/client-node';
export type {Cluster, User} from '@kubernetes/client-node';
