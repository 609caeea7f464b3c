// Worker threads start without the CLI's loader: register tsx here, as bin/rollout-sim.js does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
