/**
 * The two OPC files every .vsix has beside `extension/`: `extension.vsixmanifest` (identity,
 * engine, target platform, assets) and `[Content_Types].xml` (a content type per file).
 */
import type { Target } from './targets';

/** The package.json fields the manifest reads. */
export interface ExtensionPackageJson {
  name: string;
  publisher: string;
  version: string;
  displayName?: string;
  description?: string;
  categories?: string[];
  keywords?: string[];
  engines: { vscode: string };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** `extension.vsixmanifest` for `pkg`, built for `target` (VS Code installs it only on that platform). */
export function vsixManifest(pkg: ExtensionPackageJson, target: Target): string {
  const props: [string, string][] = [
    ['Microsoft.VisualStudio.Code.Engine', pkg.engines.vscode],
    ['Microsoft.VisualStudio.Code.ExtensionDependencies', ''],
    ['Microsoft.VisualStudio.Code.ExtensionPack', ''],
    ['Microsoft.VisualStudio.Code.ExtensionKind', 'workspace'],
    ['Microsoft.VisualStudio.Code.LocalizedLanguages', ''],
    ['Microsoft.VisualStudio.Services.GitHubFlavoredMarkdown', 'true'],
    ['Microsoft.VisualStudio.Services.Content.Pricing', 'Free'],
  ];
  return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xml(pkg.name)}" Version="${xml(pkg.version)}" Publisher="${xml(pkg.publisher)}" TargetPlatform="${target.name}"/>
    <DisplayName>${xml(pkg.displayName ?? pkg.name)}</DisplayName>
    <Description xml:space="preserve">${xml(pkg.description ?? '')}</Description>
    <Tags>${xml((pkg.keywords ?? []).join(','))}</Tags>
    <Categories>${xml((pkg.categories ?? []).join(','))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
${props.map(([id, value]) => `      <Property Id="${id}" Value="${xml(value)}"/>`).join('\n')}
    </Properties>
    <License>extension/LICENSE.txt</License>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code"/>
  </Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true"/>
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true"/>
    <Asset Type="Microsoft.VisualStudio.Services.Content.License" Path="extension/LICENSE.txt" Addressable="true"/>
  </Assets>
</PackageManifest>
`;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.js': 'application/javascript',
  '.cjs': 'application/javascript',
  '.mjs': 'application/javascript',
  '.css': 'text/css',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.ts': 'text/plain',
  '.py': 'text/x-python',
  '.csv': 'text/csv',
  '.svg': 'image/svg+xml',
  '.xml': 'text/xml',
  '.vsixmanifest': 'text/xml',
};

/**
 * `[Content_Types].xml` for the archive entries `names`: one Default per file extension, an
 * Override for each file without one (e.g. `LICENSE`, executables).
 */
export function contentTypes(names: string[]): string {
  const defaults = new Map<string, string>();
  const overrides: string[] = [];
  for (const name of names) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0) {
      overrides.push(`<Override PartName="/${xml(encodeURI(name))}" ContentType="application/octet-stream"/>`);
      continue;
    }
    const ext = base.slice(dot).toLowerCase();
    if (!defaults.has(ext)) defaults.set(ext, TYPES[ext] ?? 'application/octet-stream');
  }
  const lines = [...[...defaults].sort().map(([ext, type]) => `<Default Extension="${xml(ext)}" ContentType="${type}"/>`), ...overrides];
  return `<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${lines.join('')}</Types>\n`;
}
