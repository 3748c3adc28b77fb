#!/usr/bin/env node
import { main } from '../repro.js';

// The `repro` executable: everything else is in main(), which tests call in-process.
process.exitCode = await main(process.argv);
