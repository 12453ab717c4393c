// Starts one emulator on a port the system picks at the bind (port 0), then prints
// "listening <port>" once it accepts connections, so the tests read the port back instead of
// picking one that another process could take first.
//   node start.js dynalite
//   node start.js s3rver <folder>
'use strict'
const [, , which, folder] = process.argv

if (which === 'dynalite') {
  const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
} else if (which === 's3rver' && folder) {
  const S3rver = require('s3rver')
  new S3rver({ address: '127.0.0.1', port: 0, directory: folder, silent: true })
    .run()
    .then(address => console.log(`listening ${address.port}`))
    .catch(error => {
      console.error(error.message)
      process.exit(1)
    })
} else {
  console.error('Usage: node start.js dynalite | node start.js s3rver <folder>')
  process.exit(2)
}
