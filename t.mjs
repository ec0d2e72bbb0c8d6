import { hash, verify } from '@node-rs/argon2';
const h = await hash('x'); console.log(h, await verify(h,'x'));
import { PGlite } from '@electric-sql/pglite';
const t=Date.now(); const db = new PGlite(); await db.query('select 1'); console.log('pglite', Date.now()-t);
const t2=Date.now(); const c = await db.clone(); console.log('clone', Date.now()-t2);
console.log((await db.query("select '10.0.0.0/8'::cidr >>= '10.1.2.3'::inet as x")).rows);
