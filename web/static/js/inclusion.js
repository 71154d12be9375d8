// Checks an RFC 9162 inclusion proof in the browser (section 2.1.3.2) with WebCrypto:
// from the ballot's leaf hash, the audit path must lead to the checkpoint's root hash.
(function () {
  "use strict";
  var box = document.getElementById("inclusion-proof");
  var status = document.getElementById("inclusion-status");
  if (!box || !status || !window.crypto || !window.crypto.subtle) return;

  function bytes(b64) {
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function node(left, right) {
    var data = new Uint8Array(1 + left.length + right.length);
    data[0] = 1;
    data.set(left, 1);
    data.set(right, 1 + left.length);
    return crypto.subtle.digest("SHA-256", data).then(function (d) { return new Uint8Array(d); });
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function verify() {
    var fn = Number(box.dataset.index), sn = Number(box.dataset.size) - 1;
    var r = bytes(box.dataset.leaf);
    var proof = box.dataset.proof ? box.dataset.proof.split(" ") : [];
    for (var i = 0; i < proof.length; i++) {
      var p = bytes(proof[i]);
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await node(p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await node(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, bytes(box.dataset.root));
  }
  verify().then(function (ok) {
    status.textContent = ok ? box.dataset.ok : box.dataset.failed;
    status.className = ok ? "message success" : "message error";
  });
})();
