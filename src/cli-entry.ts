/** The command line as the package ships it (dist/node/cli.js): the Node platform, then the CLI. */
import './gpu/install-node-platform.ts';
import './cli/main.ts';
