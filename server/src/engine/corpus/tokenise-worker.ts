// A worker thread of a cold index build (see `tokeniseInParallel`): tokenises the texts it is given and sends back
// its vocabulary and the sources' token ids, the arrays moved rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { tokeniseSources, transferablesOf, type TokeniseRequest } from './parallel.js';

const result = tokeniseSources(workerData as TokeniseRequest);
parentPort?.postMessage(result, transferablesOf(result));
