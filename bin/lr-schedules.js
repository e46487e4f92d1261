#!/usr/bin/env node
// The installed command line. From a checkout, `npm run -s cli -- <command>` runs the
// same code from source.
import '../dist/node/cli.js';
