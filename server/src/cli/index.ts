import { main } from './main.js';

const status = main(process.argv.slice(2));
if (status !== 'serving') process.exitCode = status;
