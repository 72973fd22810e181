// The console resumes streams with the client kit's implementation (client/src/durable.ts):
// one copy of the cursor logic for the console, the kit and its CLI.
export * from '../../../client/src/durable';
