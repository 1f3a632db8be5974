// Errors meant for people: one clear line and an exit code, never a stack trace. Here, at the bottom, so the CLI
// entry can tell them apart without loading the modules that throw them.
export class UserFacingError extends Error {
	constructor(
		message: string,
		readonly exitCode = 2,
	) {
		super(message);
	}
}
