export async function runReplayTui(..._args: unknown[]): Promise<void> {}
