// `npm run dashboard:hash-password`: reads a password on stdin, prints DASHBOARD_PASSWORD_HASH.
import { text } from 'node:stream/consumers';
import { hashPassword } from './credentials.ts';

if (process.stdin.isTTY) process.stderr.write('Password (then Enter and Ctrl-D): ');
const password = (await text(process.stdin)).replace(/\r?\n$/, '');
if (password.length < 12) {
  console.error('dashboard:hash-password: use at least 12 characters');
  process.exit(2);
}
console.log(await hashPassword(password));
