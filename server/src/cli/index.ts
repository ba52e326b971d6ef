import { main } from './main.js';

void main(process.argv.slice(2)).then((status) => {
  if (status !== 'serving') process.exitCode = status;
});
