// Worker bootstrap for tests: registers tsx so a worker can run TypeScript sources, then loads
// the entry named in workerData (Node 20 does not apply --import loaders to workers).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
