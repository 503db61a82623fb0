#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx parley` works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
