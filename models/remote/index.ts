export { RemoteNoteGenerator, isLocalEndpoint, listRemoteModels, remoteWarning, type RemoteEndpoint, type RemoteGenerateOptions, type RemoteResult } from './client';
export { serveModel, type RunningServer, type ServeOptions } from './server';
