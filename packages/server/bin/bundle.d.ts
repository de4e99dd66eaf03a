export function bundleServer(entry: URL): Promise<URL | undefined>;
export function bundleWorker(entry: URL): URL | undefined;
