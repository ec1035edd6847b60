// The layout of shared/DESIGN.md ("Layout (the rooms)") as import rules; `npm run lint:deps`
// (part of `npm test`) fails on any import that crosses a forbidden boundary.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing of ours but the domain, and does no I/O.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/', dependencyTypesNot: ['npm'] },
    },
    {
      name: 'db-knows-only-the-domain',
      comment: 'src/db turns rows into domain records; it never reaches up into services, feeds or http.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(services|feeds|http)/' },
    },
    {
      name: 'feeds-read-nothing',
      comment: 'src/feeds renders iCal from domain shifts and people it is handed; it reads no storage and knows no http.',
      severity: 'error',
      from: { path: '^src/feeds/' },
      to: { path: '^src/(db|services|http)/' },
    },
    {
      name: 'services-never-import-http',
      comment: 'Data flows one way: http -> services -> domain decisions + db writes.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'http-calls-services-only',
      comment: 'Routes (and the app around them) call services; they never import src/db.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'only-db-speaks-sql',
      comment: 'Only src/db builds queries or holds a driver.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: '^node_modules/(drizzle-orm|better-sqlite3|pg)/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import circles in src: each use case reads top to bottom. Only imports that load code at start count: a type-only ' +
        'import is erased, and a dynamic import() runs after every module has loaded.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing would hide a broken boundary.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from src/db in a route is still a route that knows src/db.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    moduleSystems: ['es6'],
  },
};
