export { buildVsix, partOf, type BuildVsixOptions, type VsixSummary } from './vsix';
export { dependencyClosure, EXCLUDED_PACKAGES, fitsTarget, isExcludedPackage, labSourceFiles, packageFiles, packageNameOf, RUNTIME_PACKAGES, TARGET, type PackagedFile, type PackagedModule } from './files';
export { contentTypes, vsixManifest, type ExtensionPackageJson } from './manifest';
export { writeZip, type ZipEntry, type ZipSummary } from './zip';
