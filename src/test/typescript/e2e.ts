// A customer's Node integration, written only against the typescript-fetch client generated from
// openapi/openapi.yaml, compiled with strict TypeScript. TypeScriptClientEndToEndTest starts the service, runs this
// script (BASE_URL, OPERATOR_TOKEN) and checks every response against the contract; the script itself checks that
// the data it gets back is what it asked for. It calls every operation of the contract.
import {
  ChangeFeedApi,
  CompatibilityApi,
  Configuration,
  ContactsApi,
  type ContactView,
  EngineType,
  type ErrorResponse,
  ExportContactsFormatEnum,
  ErrorResponseFromJSON,
  InstanceStatus,
  InstancesApi,
  OperatorApi,
  ResponseError,
  Scope,
  SyncState,
  TokenPurpose,
  TokensApi,
  WebhooksApi,
} from '../../../target/generated-test-sources/typescript-client';

const baseUrl = required('BASE_URL');
const operatorToken = required('OPERATOR_TOKEN');
let passed = 0;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function config(token: string): Configuration {
  return new Configuration({ basePath: baseUrl, accessToken: token });
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`FAILED: ${what}`);
  passed++;
  console.log(`ok - ${what}`);
}

/** The error envelope of a failed call, as the generated model: the typed error every caller should handle. */
async function apiError(call: () => Promise<unknown>): Promise<{ status: number; error: ErrorResponse }> {
  try {
    await call();
  } catch (e) {
    if (e instanceof ResponseError) {
      return { status: e.response.status, error: ErrorResponseFromJSON(await e.response.json()) };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  // Operator: onboard a tenant, list and read it.
  const operator = new OperatorApi(config(operatorToken));
  const onboarded = await operator.createTenant({
    createTenantRequest: { slug: 'ts-e2e', name: 'TypeScript E2E', owner: { email: 'owner@ts-e2e.test', displayName: null } },
  });
  check(onboarded.owner.displayName === null, 'createTenant: an owner without a display name reads back as null');
  const ownerToken = onboarded.token.token;
  check((await operator.listTenants({ limit: 100 })).tenants.some((t) => t.slug === 'ts-e2e'), 'listTenants');
  check((await operator.getTenant({ tenant: 'ts-e2e' })).users.length === 1, 'getTenant: the owner');

  // Tokens: the owner creates a working token, lists and reads it.
  const tokens = new TokensApi(config(ownerToken));
  const issued = await tokens.createToken({
    createTokenRequest: {
      label: 'typescript',
      scopes: new Set([Scope.CONTACTS_READ, Scope.CONTACTS_WRITE, Scope.INSTANCES_READ, Scope.INSTANCES_WRITE]),
    },
  });
  check(issued.token.expiresAt === null && issued.instanceName === null, 'createToken: no expiry, no binding (null)');
  const token = issued.token.token;
  check((await tokens.listTokens({})).tokens.some((t) => t.id === issued.token.id), 'listTokens');
  check((await tokens.getToken({ tokenId: issued.token.id })).token.revokedAt === null, 'getToken');

  const instances = new InstancesApi(config(token));
  const contacts = new ContactsApi(config(token));
  const compat = new CompatibilityApi(config(token));

  // A sandbox phone: create, pair by QR (JSON and PNG), sync.
  const created = await instances.createInstance({
    createInstanceRequest: { instanceName: 'shop', engine: EngineType.SANDBOX, sandbox: { seed: 5, contacts: 60, groups: 2 } },
  });
  check(created.instance.apiInstanceName.endsWith('_shop') && created.instance.phoneJid === null, 'createInstance');
  check((await instances.listInstances({})).instances.length === 1, 'listInstances');
  await instances.connectInstance({ instanceName: 'shop' });
  await until('PAIRING', () => instances.getInstance({ instanceName: 'shop' }), (r) => r.instance.status === InstanceStatus.Pairing);
  const qr = await instances.getInstanceQrCode({ instanceName: 'shop' });
  check(qr.qr.startsWith('2@') && qr.status === InstanceStatus.Pairing, 'getInstanceQrCode: payload and status enum');
  const png = new Uint8Array(await (await instances.getInstanceQrCodeImage({ instanceName: 'shop', size: 200 })).arrayBuffer());
  check(png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47, 'getInstanceQrCodeImage: a PNG');
  await instances.sandboxScan({ instanceName: 'shop' });
  const synced = await until('SYNCED', () => instances.getInstance({ instanceName: 'shop' }), (r) => r.instance.syncState === SyncState.Synced);
  check(synced.instance.contactsCount === 60 && synced.instance.phoneJid !== null, 'sandboxScan: paired and synced');

  // Contacts: list, read with ETag, patch with If-Match as a merge patch, stale write refused with a typed error.
  const page = await contacts.listContacts({ instanceName: 'shop', limit: 100 });
  check(page.total === 60 && page.contacts.length === 60, 'listContacts');
  const firstHalf = await contacts.listContacts({ instanceName: 'shop', limit: 30 });
  const secondHalf = await contacts.listContacts({ instanceName: 'shop', limit: 30, cursor: firstHalf.nextCursor ?? undefined });
  check(secondHalf.nextCursor === null && [...firstHalf.contacts, ...secondHalf.contacts].map((c) => c.id).join() === page.contacts.map((c) => c.id).join(),
    'listContacts: cursor continues the list');
  const recent = await contacts.listContacts({ instanceName: 'shop', updatedSince: new Date('2000-01-01T00:00:00Z') });
  check(recent.total === 60 && recent.totalExact, 'listContacts: updatedSince');
  const someone: ContactView | undefined = page.contacts.find((c) => c.fullName !== null);
  if (!someone) throw new Error('no contact with a full name');
  const read = await contacts.getContactRaw({ id: someone.id });
  const etag = read.raw.headers.get('ETag');
  check(etag === `"${someone.version}"`, 'getContact: ETag carries the version');
  const patched = await contacts.updateContactCrmFields({
    id: someone.id,
    ifMatch: etag ?? undefined,
    contactCrmPatch: { funnelStageId: 'won', customData: { tier: 'gold' }, notes: null },
  });
  check(patched.contact.funnelStageId === 'won' && patched.contact.customData['tier'] === 'gold', 'updateContactCrmFields');
  const stale = await apiError(() =>
    contacts.updateContactCrmFields({ id: someone.id, ifMatch: etag ?? undefined, contactCrmPatch: { notes: 'stale' } }),
  );
  check(stale.status === 412 && stale.error.errorCode === 'PRECONDITION_FAILED' && stale.error.requestId.length > 0,
    'updateContactCrmFields: stale If-Match is a typed PRECONDITION_FAILED error');

  // A live update with names through the sandbox: the names must arrive, not only the type and JID.
  await instances.sandboxInjectEvent({
    instanceName: 'shop',
    sandboxEvent: {
      type: 'contact', jid: '6281277770000@s.whatsapp.net', pushName: 'TS Push', fullName: 'TS Full Name', firstName: 'TS',
      businessName: 'TS Store',
    },
  });
  const injected = await until('the injected contact',
    () => contacts.lookupContact({ instanceName: 'shop', phone: '6281277770000' }).catch(() => null),
    (r) => r !== null && r.contact.fullName === 'TS Full Name');
  check(injected !== null && injected.contact.pushName === 'TS Push' && injected.contact.businessName === 'TS Store',
    'sandboxInjectEvent + lookupContact: the names arrived');
  const saved = await contacts.saveContactRaw({ saveContactRequest: { instanceName: 'shop', phone: '6281200001111', name: 'Saved' } });
  check(saved.raw.status === 201 && saved.raw.headers.get('ETag') !== null, 'saveContact: 201 with ETag');
  const resolved = await contacts.resolveIdentifiers({
    resolveRequest: { instanceName: 'shop', identifiers: [someone.remoteJid, '+62 812 7777 0000', 'nonsense'] },
  });
  check(resolved.results.map((r) => r.found).join() === 'true,true,false', 'resolveIdentifiers');
  const picture = await contacts.getProfilePicture({ instanceName: 'shop', jid: someone.remoteJid });
  check(picture.jid === someone.remoteJid, 'getProfilePicture');

  // Change feed: a cursor to resume from, the export in both formats, the live stream.
  const feed = new ChangeFeedApi(config(token));
  const changes = await feed.listContactChanges({ instanceName: 'shop', limit: 1000 });
  check(changes.nextCursor.length > 0 && changes.changes.every((c, i) => i === 0 || c.sequence === changes.changes[i - 1].sequence + 1),
    'listContactChanges: gap-free page with a cursor');
  const resumed = await feed.listContactChanges({ instanceName: 'shop', after: changes.nextCursor });
  check(resumed.nextCursor.length > 0 && !resumed.hasMore, 'listContactChanges: resumes from nextCursor');
  const expired = await apiError(() => feed.listContactChanges({ instanceName: 'shop', after: 'not-a-cursor' }));
  check(expired.status === 400 && (expired.error.details ?? []).some((d) => d.field === 'after'), 'listContactChanges: a bad cursor is a typed error');
  const ndjson = await (await contacts.exportContacts({ instanceName: 'shop', format: ExportContactsFormatEnum.Ndjson })).text();
  const exported = ndjson.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number });
  const listedIds = (await contacts.listContacts({ instanceName: 'shop', limit: 100 })).contacts.map((c) => c.id);
  check(exported.map((c) => c.id).join() === listedIds.join(), 'exportContacts (NDJSON): the listed contacts, in order');
  const csv = await (await contacts.exportContacts({ instanceName: 'shop', format: ExportContactsFormatEnum.Csv })).text();
  check(csv.startsWith('id,name,phone,') && csv.split('\r\n').filter((row) => row.length > 0).length >= listedIds.length + 1,
    'exportContacts (CSV): a header row and a row per contact');
  const stream = await feed.streamEventsRaw({ instanceName: 'shop' });
  check(stream.raw.status === 200 && (stream.raw.headers.get('content-type') ?? '').startsWith('text/event-stream'),
    'streamEvents: an open text/event-stream');
  await stream.raw.body?.cancel();

  // Compatibility routes, each with its own authentication.
  check((await compat.whatsmeowGetContact({ instanceName: 'shop', phone: '6281277770000' })).fullName === 'TS Full Name',
    'whatsmeowGetContact');
  check((await compat.whatsmeowGetContacts({ instanceName: 'shop' })).length >= 60, 'whatsmeowGetContacts');
  check((await compat.wutsListContacts({ instanceName: 'shop' })).count >= 60, 'wutsListContacts');
  const gowa = new CompatibilityApi(new Configuration({ basePath: baseUrl, username: 'any', password: token }));
  check((await gowa.gowaListContacts({ xDeviceId: 'shop' })).results.data.length >= 60, 'gowaListContacts (HTTP Basic)');
  // The Green API route takes only a dedicated path credential: read-only and bound to one instance.
  const pathToken = await tokens.createToken({
    createTokenRequest: {
      label: 'green api path',
      purpose: TokenPurpose.GREEN_API_PATH,
      instanceName: 'shop',
      scopes: new Set([Scope.CONTACTS_READ]),
    },
  });
  check(pathToken.token.purpose === TokenPurpose.GREEN_API_PATH, 'createToken: a Green API path credential');
  const green = new CompatibilityApi(new Configuration({ basePath: baseUrl }));
  check((await green.greenApiGetContacts({ idInstance: String(created.instance.id), apiTokenInstance: pathToken.token.token })).length >= 60,
    'greenApiGetContacts (path token, no Authorization header)');
  const ownerInPath = await apiError(() => green.greenApiGetContacts({ idInstance: String(created.instance.id), apiTokenInstance: token }));
  check(ownerInPath.status === 401, 'greenApiGetContacts: an ordinary token in the path is refused');

  // Errors as typed envelopes.
  const missing = await apiError(() => instances.getInstance({ instanceName: 'nope' }));
  check(missing.status === 404 && missing.error.errorCode === 'INSTANCE_NOT_FOUND', 'getInstance: typed INSTANCE_NOT_FOUND');
  const invalid = await apiError(() => contacts.listContacts({ instanceName: 'shop', limit: 1000 }));
  check(invalid.error.errorCode === 'VALIDATION_ERROR' && (invalid.error.details ?? []).some((d) => d.field === 'limit'),
    'listContacts: typed VALIDATION_ERROR naming the field');

  // Pairing by phone number on a second phone, then the life-cycle operations.
  await instances.createInstance({ createInstanceRequest: { instanceName: 'second', engine: EngineType.SANDBOX } });
  await instances.connectInstance({ instanceName: 'second' });
  const code = await instances.requestPairingCode({ instanceName: 'second', pairingCodeRequest: { phone: '+62 812 3456 789' } });
  check(code.pairingCode.length > 0 && Object.values(InstanceStatus).includes(code.status), 'requestPairingCode');
  check((await instances.deleteInstance({ instanceName: 'second' })).instance.instanceName === 'second', 'deleteInstance');
  await instances.disconnectInstance({ instanceName: 'shop' });
  check((await instances.logoutInstance({ instanceName: 'shop' })).instance.instanceName === 'shop', 'disconnectInstance, logoutInstance');

  // Webhooks: the secret is shown on create and rotate only; internal targets are refused. Created paused, so the
  // test never sends anything to the (public, documentation) address.
  const webhooks = new WebhooksApi(config(token));
  const hook = await webhooks.createWebhook({
    createWebhookRequest: { url: 'https://93.184.215.14/hooks', eventTypes: ['contact.updated'], instanceName: 'shop', enabled: false },
  });
  check(hook.webhook.secret.startsWith('whsec_') && hook.webhook.instanceName === 'shop' && !hook.webhook.enabled, 'createWebhook');
  const ssrf = await apiError(() => webhooks.createWebhook({ createWebhookRequest: { url: 'https://169.254.169.254/latest' } }));
  check(ssrf.status === 400 && (ssrf.error.details ?? []).some((d) => d.field === 'url'), 'createWebhook: a metadata address is refused');
  check((await webhooks.listWebhooks({})).webhooks.some((w) => w.id === hook.webhook.id), 'listWebhooks');
  check((await webhooks.getWebhook({ webhookId: hook.webhook.id })).webhook.disabledReason === null, 'getWebhook');
  const changed = await webhooks.updateWebhook({ webhookId: hook.webhook.id, updateWebhookRequest: { description: 'CRM', enabled: false } });
  check(changed.webhook.description === 'CRM', 'updateWebhook');
  const rotated = await webhooks.rotateWebhookSecret({ webhookId: hook.webhook.id });
  check(rotated.webhook.secret !== hook.webhook.secret, 'rotateWebhookSecret');
  check((await webhooks.listWebhookDeliveries({ webhookId: hook.webhook.id })).total === 0, 'listWebhookDeliveries');
  const noDelivery = await apiError(() => webhooks.replayWebhookDelivery({ webhookId: hook.webhook.id, deliveryId: 1 }));
  check(noDelivery.status === 404 && noDelivery.error.errorCode === 'WEBHOOK_DELIVERY_NOT_FOUND', 'replayWebhookDelivery: typed 404');
  await webhooks.deleteWebhook({ webhookId: hook.webhook.id });
  const deleted = await apiError(() => webhooks.getWebhook({ webhookId: hook.webhook.id }));
  check(deleted.error.errorCode === 'WEBHOOK_NOT_FOUND', 'deleteWebhook');

  // Token and tenant life cycle: a revoked token and a disabled tenant get typed UNAUTHORIZED errors.
  await tokens.revokeToken({ tokenId: issued.token.id });
  const revoked = await apiError(() => instances.listInstances({}));
  check(revoked.status === 401 && revoked.error.errorCode === 'UNAUTHORIZED', 'revokeToken: the token is refused');
  await operator.disableTenant({ tenant: 'ts-e2e' });
  const disabled = await apiError(() => tokens.listTokens({}));
  check(disabled.error.errorCode === 'UNAUTHORIZED', 'disableTenant: the owner token is refused');
  check((await operator.enableTenant({ tenant: 'ts-e2e' })).tenant.status === 'ACTIVE', 'enableTenant');
  check((await tokens.listTokens({})).total >= 2, 'enableTenant: the owner token works again');
  const recovered = await operator.issueOwnerToken({ tenant: 'ts-e2e' });
  check((await new TokensApi(config(recovered.token.token)).listTokens({})).total >= 3,
    'issueOwnerToken: a fresh owner token works');
}

main().then(
  () => console.log(`TypeScript end-to-end: all ${passed} checks passed`),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    console.log(`TypeScript end-to-end: failed after ${passed} checks`);
    process.exit(1);
  },
);
