// A worker thread of a first (cold) index build (see `buildSegmentsInParallel`): reads and tokenises its share of
// the sources and sends it back as an index segment, the bytes moved rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { serveShare } from './parallel.js';

if (parentPort) serveShare(parentPort, workerData as Parameters<typeof serveShare>[1]);
