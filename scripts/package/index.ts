export { buildVsix, partOf, type BuildVsixOptions, type VsixSummary } from './vsix';
export { dependencyClosure, labSourceFiles, lookupLocations, packageFiles, packageNameOf, RUNTIME_PACKAGES, type ClosureOptions, type PackagedFile, type PackagedModule } from './files';
export { fetchPackage, llamaForTarget, NotOnRegistryError, platformCacheDir } from './fetch';
export { EXCLUDED_PACKAGES, fitsTarget, hostTarget, isExcludedPackage, targetOf, TARGET_NAMES, TARGETS, type Target, type TargetName } from './targets';
export { contentTypes, vsixManifest, type ExtensionPackageJson } from './manifest';
export { writeZip, type ZipEntry, type ZipSummary } from './zip';
