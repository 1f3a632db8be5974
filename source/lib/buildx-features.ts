// What a buildx can do, told from its own output rather than its version string (distributions patch versions).

/** `docker buildx history --help`: buildx older than 0.20 has no `history` and prints its own help with exit 0,
 * so the answer is history's usage line, not the exit code. */
export function hasHistoryCommand(helpText: string): boolean {
	return /Usage:\s+docker buildx history\b/.test(helpText);
}
