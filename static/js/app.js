// Starts GOV.UK Frontend's components (error summary focus, notification banners, …).
import { initAll } from "./govuk-frontend.min.js";

initAll();
