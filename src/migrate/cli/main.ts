#!/usr/bin/env node
/** The `phone-binding` bin: runs the CLI on this process; Ctrl-C stops after the users in flight. */
import { runCli } from './run.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
// No top-level await: the build also emits CommonJS.
void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
  tty: process.stderr.isTTY === true,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
