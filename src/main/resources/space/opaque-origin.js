// Put first in every page of a Space app. The page runs in a sandboxed frame without allow-same-origin, an origin
// of its own that has no cookies and no storage: reading document.cookie or localStorage there throws, and apps
// (Streamlit's frontend among them) stop at the first read. They get a jar and stores of their own instead, kept in
// the page's memory for as long as it is open.
(function () {
	var jar = {};
	try {
		Object.defineProperty(document, "cookie", {
			configurable: true,
			get: function () {
				return Object.keys(jar).map(function (k) { return k + "=" + jar[k]; }).join("; ");
			},
			set: function (line) {
				var pair = String(line).split(";")[0];
				var eq = pair.indexOf("=");
				if (eq > 0) {
					jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
				}
			},
		});
	} catch (e) {}
	function memory() {
		var items = {};
		return {
			getItem: function (k) { return Object.prototype.hasOwnProperty.call(items, k) ? items[k] : null; },
			setItem: function (k, v) { items[k] = String(v); },
			removeItem: function (k) { delete items[k]; },
			clear: function () { items = {}; },
			key: function (i) { return Object.keys(items)[i] || null; },
			get length() { return Object.keys(items).length; },
		};
	}
	["localStorage", "sessionStorage"].forEach(function (name) {
		try {
			window[name].length;
		} catch (e) {
			try {
				Object.defineProperty(window, name, { configurable: true, value: memory() });
			} catch (e2) {}
		}
	});
})();
