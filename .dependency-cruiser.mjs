/**
 * Which layer of src/ and drivers/ may import which, checked by dependency-cruiser in
 * `npm run lint` (and so in `npm test`). The table in docs/architecture.md ("Layers") says the
 * same in prose; test/layers/architecture-doc.test.ts fails when the two differ.
 *
 * A layer either names what it may import (`mayImport`, its own folder included) or what it
 * must not (`mustNotImport`); `packages: false` also keeps out Node built-ins and npm packages.
 * Paths end in "/" for a folder; anything else is one file. `exceptFrom` names files of the layer
 * the rule does not cover.
 */
export const layers = [
  {
    name: 'domain',
    where: ['src/domain/'],
    mayImport: ['src/domain/'],
    packages: false,
  },
  {
    name: 'drivers',
    where: ['drivers/'],
    mayImport: ['drivers/'],
    packages: true,
  },
  {
    name: 'shared',
    where: ['src/errors.ts', 'src/paths.ts', 'src/secret-file.ts'],
    mayImport: [],
    packages: true,
  },
  {
    name: 'store',
    where: ['src/store/'],
    mayImport: [
      'src/store/',
      'src/domain/',
      'src/contract/',
      'src/errors.ts',
      'src/paths.ts',
      'src/secret-file.ts',
    ],
    packages: true,
  },
  {
    name: 'adapters',
    where: ['src/cli/', 'src/sim/', 'src/remote-commands/', 'src/web/'],
    mustNotImport: ['src/store/', 'src/daemon/'],
    // `keywarden run` starts the daemon and `keywarden outputs-off` drives its outputs off: the
    // two commands whose whole job is the composition root.
    exceptFrom: [
      'src/cli/commands/run.ts',
      'src/cli/commands/outputs-off.ts',
      'src/cli/commands/osdp.ts',
    ],
    packages: true,
  },
  {
    name: 'web pages',
    where: ['src/web/ui/'],
    mayImport: ['src/web/ui/'],
    packages: true,
  },
  {
    name: 'the rest',
    where: [
      'src/app/',
      'src/bringup/',
      'src/config/',
      'src/contract/',
      'src/daemon/',
      'src/import/',
      'src/log/',
      'src/maintenance/',
      'src/mqtt/',
      'src/platform/',
      'src/present/',
      'src/reference-server/',
      'src/reports/',
    ],
    packages: true,
  },
];

/** A path from the table as an anchored regular expression over dependency-cruiser's paths. */
const pattern = (path) => '^' + path.replaceAll('.', '\\.') + (path.endsWith('/') ? '' : '$');
const anyOf = (paths) => paths.map(pattern);

function layerRule(layer) {
  const from = {
    path: anyOf(layer.where),
    ...(layer.exceptFrom && { pathNot: anyOf(layer.exceptFrom) }),
  };
  const severity = layer.severity ?? 'error';
  if (layer.mustNotImport) {
    return {
      name: `${layer.name}-must-not-import`,
      comment: `${layer.name} must not import ${layer.mustNotImport.join(', ')} (docs/architecture.md, Layers)`,
      severity,
      from,
      to: { path: anyOf(layer.mustNotImport) },
    };
  }
  const allowed = layer.mayImport.length > 0 ? anyOf(layer.mayImport) : ['^$'];
  return {
    name: `${layer.name}-imports-only-its-own`,
    comment: `${layer.name} may import only ${layer.mayImport.join(', ') || 'nothing of src/ and drivers/'}${layer.packages ? '' : ', no package and no Node built-in'} (docs/architecture.md, Layers)`,
    severity,
    from,
    // Without packages, everything outside the allowed paths is forbidden (a built-in resolves
    // to "node:fs" or "fs", a package to "node_modules/…"); with them, only src/ and drivers/.
    to: layer.packages ? { path: '^(src|drivers)/', pathNot: allowed } : { pathNot: allowed },
  };
}

const ruled = layers.filter((layer) => layer.mayImport || layer.mustNotImport);

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...ruled.map(layerRule),
    {
      name: 'no-cycles',
      comment: 'A cycle ties its modules into one: none can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'resolvable',
      comment: 'An import the check cannot resolve would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a domain type taken from the store is still a dependency.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
