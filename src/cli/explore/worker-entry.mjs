// Worker threads start without the CLI's loader (Node 20 does not pass module hooks on):
// register tsx here, as bin/rollout-sim.js does, then hand tinypool the worker's function.
import { register } from 'tsx/esm/api';

register();
const { runPaths } = await import('./worker.ts');
export default runPaths;
