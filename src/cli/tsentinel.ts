#!/usr/bin/env node
import { runTsentinel } from './run-tsentinel.js';

await runTsentinel(process.argv.slice(2));
