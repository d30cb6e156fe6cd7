#!/usr/bin/env node
import { runTredis } from './run-tredis.js';

await runTredis(process.argv.slice(2));
