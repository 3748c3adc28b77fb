#!/usr/bin/env node
import { main } from '../collect.js';

// The `collect` executable: everything else is in main(), which tests call in-process.
process.exitCode = await main(process.argv);
