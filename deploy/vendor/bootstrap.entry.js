// The Bootstrap plugins the templates use (data-bs-toggle="dropdown" / "collapse",
// data-bs-slide, data-bs-dismiss="alert"); each registers its data API on import.
// Add a plugin here (and run build.sh) before using another data-bs-* in a template.
import "bootstrap/js/src/alert.js";
import "bootstrap/js/src/carousel.js";
import "bootstrap/js/src/collapse.js";
import "bootstrap/js/src/dropdown.js";
