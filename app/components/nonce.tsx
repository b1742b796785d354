import { createContext, useContext } from "react";

/** The per-request CSP nonce, set on the server; browsers hide it from scripts, so it is "" there. */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
