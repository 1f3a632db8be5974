// The store reaches components through context, so tests render any component against any store.
import React, {createContext, useContext} from 'react';
import {useStore} from 'zustand';
import type {AppState, AppStore} from '../state/store.js';

const StoreContext = createContext<AppStore | undefined>(undefined);

export function StoreProvider({store, children}: {store: AppStore; children: React.ReactNode}) {
	return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useAppStore(): AppStore {
	const store = useContext(StoreContext);
	if (!store) throw new Error('StoreProvider missing');
	return store;
}

/** Select from the app store; selectors must return primitives or stable references (use useShallow otherwise). */
export function useApp<T>(selector: (state: AppState) => T): T {
	return useStore(useAppStore(), selector);
}
